"""The operator's fence command (IPMI power-off, PDU, ...): run with {host} substituted, success = exit 0."""
import subprocess


class Fencer:
    def __init__(self, command, timeout_s, dry_run):
        self.command = tuple(command)
        self.timeout_s = timeout_s
        self.dry_run = dry_run

    def fence(self, host):
        """(ok, detail). A dry run never runs the command, whatever else is configured."""
        if self.dry_run:
            raise AssertionError("fence called in dry run")  # guarded by the caller; belt and braces
        if not self.command:
            return False, "no fence command"
        argv = [part.replace("{host}", host) for part in self.command]
        try:
            result = subprocess.run(argv, timeout=self.timeout_s, stdin=subprocess.DEVNULL, capture_output=True,
                                    text=True)
        except subprocess.TimeoutExpired:
            return False, "timed out after %s s" % self.timeout_s
        except OSError as error:
            return False, str(error)
        detail = (result.stderr or result.stdout).strip()[-300:]
        return result.returncode == 0, "exit %d %s" % (result.returncode, detail)
