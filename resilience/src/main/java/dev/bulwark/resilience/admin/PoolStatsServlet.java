package dev.bulwark.resilience.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.resilience.Dependency;
import dev.bulwark.resilience.DependencyRegistry;
import dev.bulwark.resilience.ResilienceSnapshot;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /pool-stats} on the admin port: for each dependency, keyed by its name,
 * <pre>{"pool": {"active", "idle", "waiting", "max"},
 *  "breaker": {"state", "consecutiveFailures", "callsRejected", "retryAfterSeconds", "nextProbeInMs", "opened",
 *              "probesSucceeded", "probesFailed"},
 *  "limit": {"limit", "inflight", "rejected"} (only with a concurrency limit),
 *  "retryBudget": {"remaining"}, "retries": n, "retriesExhausted": n}</pre>
 * where {@code retryAfterSeconds} and {@code nextProbeInMs} are 0 unless the breaker is OPEN, and
 * {@code opened} counts the breaker's openings since start-up. Any other method gets
 * {@code 405 {"code": 405, "message": ...}}. Responses are never cached. Thread-safe.
 */
public final class PoolStatsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record ErrorBody(int code, String message) {
    }

    private final transient DependencyRegistry dependencies;

    /** Reports the dependencies of {@code dependencies} (read at each request) in their order, each by name. */
    public PoolStatsServlet(DependencyRegistry dependencies) {
        this.dependencies = dependencies;
    }

    /** The response body: every dependency's pool, breaker and budget now. */
    public Map<String, Object> snapshot() {
        Map<String, Object> body = new LinkedHashMap<>();
        for (Dependency dependency : dependencies.all()) {
            ResilienceSnapshot now = ResilienceSnapshot.of(dependency.resilient());
            Map<String, Object> breaker = new LinkedHashMap<>();
            breaker.put("state", now.state().name());
            breaker.put("consecutiveFailures", now.consecutiveFailures());
            breaker.put("callsRejected", now.callsRejected());
            breaker.put("retryAfterSeconds", now.secondsUntilProbe());
            breaker.put("nextProbeInMs", now.millisUntilProbe());
            breaker.put("opened", now.opened());
            breaker.put("probesSucceeded", now.probesSucceeded());
            breaker.put("probesFailed", now.probesFailed());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("pool", dependency.pool().snapshot().toMap());
            entry.put("breaker", breaker);
            dependency.resilient().concurrencyLimit().ifPresent(limit -> entry.put("limit", Map.of(
                    "limit", limit.limit(), "inflight", limit.inflight(), "rejected", limit.rejected(),
                    "admittedSpare", limit.admittedSpare())));
            entry.put("retryBudget", Map.of("remaining", now.retryBudgetRemaining()));
            entry.put("retries", now.retries());
            entry.put("retriesExhausted", now.retriesExhausted());
            body.put(now.name(), entry);
        }
        return body;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("GET".equals(request.getMethod())) {
            write(response, HttpServletResponse.SC_OK, snapshot());
        } else {
            response.setHeader("Allow", "GET");
            write(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    new ErrorBody(405, "/pool-stats only answers GET, not " + request.getMethod()));
        }
    }

    private static void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
