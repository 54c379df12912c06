package io.hostwatch.agent.service;

import io.hostwatch.agent.ShellCommand;
import io.hostwatch.schema.ServiceStatus;
import java.util.Map;
import java.util.Set;

/**
 * {@code service.check=command}: exit 0 is OK, a configured "degraded" exit code is DEGRADED, any other exit code
 * is DOWN. A command that hangs or cannot start says nothing about the service, so it is DEGRADED (alive, not
 * vouched for) rather than DOWN: a broken check must not make the agent stop heartbeating.
 */
public final class CommandServiceCheck implements ServiceCheck {
    private final ShellCommand command;
    private final Set<Integer> degradedExitCodes;
    private final Map<String, String> env;

    public CommandServiceCheck(ShellCommand command, Set<Integer> degradedExitCodes, String host) {
        this.command = command;
        this.degradedExitCodes = Set.copyOf(degradedExitCodes);
        this.env = Map.of("HOSTWATCH_HOST", host);
    }

    @Override
    public Result check() throws InterruptedException {
        ShellCommand.Outcome outcome = command.run(env);
        if (!outcome.exited()) {
            return new Result(ServiceStatus.DEGRADED, "check command " + outcome.describe());
        }
        if (outcome.exitCode() == 0) {
            return new Result(ServiceStatus.OK, "exit 0");
        }
        ServiceStatus status =
                degradedExitCodes.contains(outcome.exitCode()) ? ServiceStatus.DEGRADED : ServiceStatus.DOWN;
        return new Result(status, "exit " + outcome.exitCode());
    }

    @Override
    public String describe() {
        return "command '" + command.command() + "'";
    }
}
