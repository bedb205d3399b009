package dev.bulwark.gatling;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a client does, as named chains over {@link Endpoints}. Ids are {@code <run prefix><n>}, n below
 * {@link #ITEM_COUNT}, so runs never share items and a read often finds an item an earlier write made
 * (and a write often replaces one). Each request is wrapped in a group named after the {@link Phase} it
 * starts in, so that group holds exactly one request and its statistics are the request's own.
 * Thread-safe.
 */
public final class Journeys {

    /** How many distinct ids a run uses. */
    static final int ITEM_COUNT = 500;

    private static final String WRITTEN = "written";

    private final String idPrefix;
    private final ChaosTimeline timeline;

    /**
     * @param idPrefix prefix of every id this run uses, e.g. {@code g-lq3x9k-}
     * @param timeline gives each request its phase
     */
    public Journeys(String idPrefix, ChaosTimeline timeline) {
        this.idPrefix = idPrefix;
        this.timeline = timeline;
    }

    /** A prefix unique to this run: {@code g-<base-36 milliseconds>-}. */
    public static String runPrefix() {
        return "g-" + Long.toString(System.currentTimeMillis(), 36) + "-";
    }

    /** The mix every simulation runs: 40% write then read back, 60% read of some id. */
    public ChainBuilder mixed() {
        return randomSwitch().on(
                percent(40.0).then(writeThenRead()),
                percent(60.0).then(read()));
    }

    /** PUT an item, then GET it: the read must find it (200), from the cache or the database. */
    public ChainBuilder writeThenRead() {
        return exec(session -> session.set("itemId", randomId()).set("quantity", randomQuantity()).remove(WRITTEN))
                .exec(inPhase(Endpoints.putItem().check(status().transform(code -> code / 100 == 2).saveAs(WRITTEN))))
                // After a refused write (a 503 where allowed) the item may not exist: then a 404 is fine too.
                .doIfOrElse(session -> session.contains(WRITTEN) && session.getBoolean(WRITTEN))
                .then(inPhase(Endpoints.getItem(true)))
                .orElse(inPhase(Endpoints.getItem(false)));
    }

    /** GET some id of this run: 200 when an earlier write made it, 404 when none did yet. */
    public ChainBuilder read() {
        return exec(session -> session.set("itemId", randomId()))
                .exec(inPhase(Endpoints.getItem(false)));
    }

    /** Sets the chaos user's own item, {@code <idPrefix>probe}, for the probes to use. */
    public static ChainBuilder probeItem(String idPrefix) {
        return exec(session -> session.set("itemId", idPrefix + "probe").set("quantity", 1));
    }

    private ChainBuilder inPhase(HttpRequestActionBuilder request) {
        return exec(session -> session.set(Phase.SESSION_KEY, timeline.phaseNow()))
                .group(session -> Phase.of(session).name())
                .on(exec(request));
    }

    private String randomId() {
        return idPrefix + ThreadLocalRandom.current().nextInt(ITEM_COUNT);
    }

    private static int randomQuantity() {
        return ThreadLocalRandom.current().nextInt(1000);
    }
}
