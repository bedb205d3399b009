package dev.bulwark.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The service's endpoints as Gatling requests, each with the checks a client relies on. The item id
 * comes from the session attribute {@code itemId}, the quantity from {@code quantity} (set by
 * {@link Journeys}).
 *
 * <p>The load's requests ({@link #putItem()}, {@link #getItem(boolean)}) accept what their
 * {@link Phase} allows: always the served answers; a 503 only in a phase that allows it, and then only
 * with {@code Retry-After} and the JSON error body. Anything else (a 500, a 503 outside such a phase, a
 * missing header, a request that takes longer than {@link #REQUEST_TIMEOUT}) is KO. The probes are
 * stricter and used once per run. Stateless.
 */
public final class Endpoints {

    /** A request that takes longer than this is KO: a hang shows up as a failure, not only as latency. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Request names: Gatling's, and those {@link PhaseRecorder.Outcome#request()} gives. */
    static final String PUT_ITEM = "PUT item";
    static final String GET_ITEM = "GET item";
    static final String GET_WRITTEN_ITEM = "GET written item";

    /**
     * Session attributes the load's requests fill before any other check, so that even a KO tells what came
     * back: the status and the body.
     */
    static final String ANSWER_STATUS = "answerStatus";
    static final String ANSWER_BODY = "answerBody";

    private static final String ITEM = "/items/#{itemId}";
    private static final String BODY = "{\"name\": \"gatling #{itemId}\", \"quantity\": #{quantity}}";

    private Endpoints() {
    }

    /** JSON in and out, one shared connection pool (a service client, not browsers). */
    public static HttpProtocolBuilder protocol(LoadConfig config) {
        return http.baseUrl(config.baseUrl())
                .acceptHeader("application/json")
                .contentTypeHeader("application/json")
                .shareConnections()
                .userAgentHeader("bulwark-gatling");
    }

    /** {@code PUT /items/{id}}: 201 or 200 with the stored item. */
    public static HttpRequestActionBuilder putItem() {
        return http(PUT_ITEM).put(ITEM).body(StringBody(BODY))
                .requestTimeout(REQUEST_TIMEOUT)
                .check(status().saveAs(ANSWER_STATUS), bodyString().saveAs(ANSWER_BODY))
                .check(status().in(session -> allowed(session, 200, 201)))
                .checkIf((response, session) -> isSuccess(response.status().code()))
                .then(jsonPath("$.id").isEL("#{itemId}"), jsonPath("$.version").ofLong().gte(1L))
                .checkIf((response, session) -> response.status().code() == 503)
                .then(header("Retry-After").exists(), jsonPath("$.code").ofInt().is(503));
    }

    /**
     * {@code GET /items/{id}}: 200 with the item and {@code X-Cache}; a 404 is OK too unless
     * {@code mustExist} (the id was just written).
     */
    public static HttpRequestActionBuilder getItem(boolean mustExist) {
        int[] served = mustExist ? new int[] {200} : new int[] {200, 404};
        return http(mustExist ? GET_WRITTEN_ITEM : GET_ITEM).get(ITEM)
                .requestTimeout(REQUEST_TIMEOUT)
                .check(status().saveAs(ANSWER_STATUS), bodyString().saveAs(ANSWER_BODY))
                .check(status().in(session -> allowed(session, served)))
                .checkIf((response, session) -> response.status().code() == 200)
                .then(jsonPath("$.id").isEL("#{itemId}"), header("X-Cache").in("HIT", "MISS", "BYPASS"))
                .checkIf((response, session) -> response.status().code() == 503)
                .then(header("Retry-After").exists(), jsonPath("$.code").ofInt().is(503));
    }

    /** Probe: a write while the database is unreachable is refused with 503, {@code Retry-After} and a JSON body. */
    public static HttpRequestActionBuilder putItemRefused() {
        return http("PUT item while the database is down").put(ITEM).body(StringBody(BODY))
                .requestTimeout(REQUEST_TIMEOUT)
                .check(status().is(503), header("Retry-After").exists(), jsonPath("$.code").ofInt().is(503));
    }

    /** Probe: a write during a database slowdown is slowed by at least {@code latency}, or refused with 503. */
    public static HttpRequestActionBuilder putItemSlowed(Duration latency) {
        return http("PUT item during the latency spike").put(ITEM).body(StringBody(BODY))
                .requestTimeout(REQUEST_TIMEOUT)
                .check(status().in(200, 201, 503))
                .checkIf((response, session) -> response.status().code() != 503)
                .then(responseTimeInMillis().gte((int) latency.toMillis()));
    }

    /** Probe: a write that must succeed (setting up an item for later probes). */
    public static HttpRequestActionBuilder putItemServed() {
        return http("PUT probe item").put(ITEM).body(StringBody(BODY))
                .requestTimeout(REQUEST_TIMEOUT)
                .check(status().in(200, 201));
    }

    /** Probe: a read served with the given {@code X-Cache} value. */
    public static HttpRequestActionBuilder getItemWithCache(String cache) {
        return http("GET probe item, X-Cache " + cache).get(ITEM)
                .requestTimeout(REQUEST_TIMEOUT)
                .check(status().is(200), jsonPath("$.id").isEL("#{itemId}"), header("X-Cache").is(cache));
    }

    /**
     * Probe: the admin port's {@code /pool-stats}; saves {@code database.breaker.opened} (how many times the
     * database breaker went from CLOSED to OPEN since the service started) under {@code key}.
     */
    public static HttpRequestActionBuilder breakerOpenings(LoadConfig config, String key) {
        return http("database breaker openings so far").get(config.adminUrl() + "/pool-stats")
                .requestTimeout(REQUEST_TIMEOUT)
                .check(status().is(200), jsonPath("$.database.breaker.opened").ofLong().saveAs(key));
    }

    /**
     * Probe: the database breaker is CLOSED and has not opened since {@link #breakerOpenings} saved
     * {@code key}: {@code database.breaker.opened} is unchanged.
     */
    public static HttpRequestActionBuilder breakerNotOpenedSince(LoadConfig config, String key) {
        return http("database breaker did not open").get(config.adminUrl() + "/pool-stats")
                .requestTimeout(REQUEST_TIMEOUT)
                .check(status().is(200),
                        jsonPath("$.database.breaker.state").is("CLOSED"),
                        jsonPath("$.database.breaker.opened").ofLong().is(session -> session.getLong(key)));
    }

    /**
     * Probe: {@code /health-check?type=ready} on the application port says the instance should get traffic. It
     * fails only when it reaches neither the database nor Redis, or while it shuts down; a database outage alone
     * leaves it passing (docs/resilience.md).
     */
    public static HttpRequestActionBuilder ready() {
        return http("ready").get("/health-check?type=ready")
                .requestTimeout(REQUEST_TIMEOUT)
                .check(status().is(200));
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    private static List<Integer> allowed(Session session, int... served) {
        List<Integer> statuses = new ArrayList<>(served.length + 1);
        for (int status : served) {
            statuses.add(status);
        }
        if (Phase.of(session).unavailableAllowed()) {
            statuses.add(503);
        }
        return statuses;
    }
}
