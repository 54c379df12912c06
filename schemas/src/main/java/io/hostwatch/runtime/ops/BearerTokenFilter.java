package io.hostwatch.runtime.ops;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Optional;

/** Answers 401 with {@code WWW-Authenticate: Bearer} unless {@link OpsSecurity#authorized} lets the request pass. */
final class BearerTokenFilter extends Filter {
    private final OpsSecurity security;

    BearerTokenFilter(OpsSecurity security) {
        this.security = security;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        boolean authorized = security.authorized(
                Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")),
                Optional.ofNullable(exchange.getRequestHeaders().getFirst("Cookie")));
        if (!authorized) {
            exchange.getRequestBody().close();
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"hostwatch\"");
            OpsServer.respond(exchange, 401, "text/plain; charset=utf-8", "bearer token required\n");
            return;
        }
        chain.doFilter(exchange);
    }

    @Override
    public String description() {
        return "bearer token";
    }
}
