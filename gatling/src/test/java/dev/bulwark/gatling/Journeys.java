package dev.bulwark.gatling;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a client does, as named chains over {@link Endpoints}. Ids are {@code <run prefix><n>}, n below
 * {@link #ITEM_COUNT}, so runs never share items and a read often finds an item an earlier write made
 * (and a write often replaces one). Each request is wrapped in a group named after the {@link Phase} it
 * starts in, so that group holds exactly one request and its statistics are the request's own, and
 * its outcome goes to a {@link PhaseRecorder} under the same phase. Thread-safe.
 */
public final class Journeys {

    /** How many distinct ids a run uses. */
    static final int ITEM_COUNT = 500;

    private static final String STATUS = "status";
    private static final String SENT_AT = "sentAtMillis";

    private final String idPrefix;
    private final ChaosTimeline timeline;
    private final PhaseRecorder recorder;

    /**
     * @param idPrefix prefix of every id this run uses, e.g. {@code g-lq3x9k-}
     * @param timeline gives each request its phase, and times it
     * @param recorder gets each request's outcome
     */
    public Journeys(String idPrefix, ChaosTimeline timeline, PhaseRecorder recorder) {
        this.idPrefix = idPrefix;
        this.timeline = timeline;
        this.recorder = recorder;
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
        return write()
                // After a refused write (a 503 where allowed) the item may not exist: then a 404 is fine too.
                .doIfOrElse(Journeys::served)
                .then(inPhase(Endpoints.GET_WRITTEN_ITEM, Endpoints.getItem(true)))
                .orElse(inPhase(Endpoints.GET_ITEM, Endpoints.getItem(false)));
    }

    /** PUT an item of this run: served (201 or 200), or refused with a 503 where the phase allows one. */
    public ChainBuilder write() {
        return exec(session -> session.set("itemId", randomId()).set("quantity", randomQuantity()))
                .exec(inPhase(Endpoints.PUT_ITEM, Endpoints.putItem()));
    }

    /**
     * {@link #write()}, then, when it was refused, a pause of {@code backOff} before anything else: a
     * client that honours the refusal's {@code Retry-After} instead of asking again at once.
     */
    public ChainBuilder writeBackingOff(Duration backOff) {
        return write().doIf(session -> statusOf(session) == 503).then(pause(backOff));
    }

    /** GET some id of this run: 200 when an earlier write made it, 404 when none did yet. */
    public ChainBuilder read() {
        return exec(session -> session.set("itemId", randomId()))
                .exec(inPhase(Endpoints.GET_ITEM, Endpoints.getItem(false)));
    }

    /** Sets the chaos user's own item, {@code <idPrefix>probe}, for the probes to use. */
    public static ChainBuilder probeItem(String idPrefix) {
        return exec(session -> session.set("itemId", idPrefix + "probe").set("quantity", 1));
    }

    private ChainBuilder inPhase(String name, HttpRequestActionBuilder request) {
        return exec(session -> {
                    Phase phase = timeline.phaseNow();
                    recorder.started(phase.name());
                    // Succeeded, so that isFailed() below tells this request's outcome, not an earlier one's.
                    return session.set(Phase.SESSION_KEY, phase).set(SENT_AT, timeline.elapsed().toMillis())
                            .remove(STATUS).markAsSucceeded();
                })
                .group(session -> Phase.of(session).name())
                // Last, so it runs whenever the request's own checks passed (the status of a KO is not needed).
                .on(exec(request.check(status().saveAs(STATUS))))
                .exec(session -> {
                    long sentAt = session.getLong(SENT_AT);
                    long millis = timeline.elapsed().toMillis() - sentAt;
                    int answerStatus = session.contains(Endpoints.ANSWER_STATUS) ? session.getInt(Endpoints.ANSWER_STATUS) : 0;
                    String answer = PhaseRecorder.Outcome.answer(answerStatus,
                            session.contains(Endpoints.ANSWER_BODY) ? session.getString(Endpoints.ANSWER_BODY) : "");
                    recorder.finished(Phase.of(session).name(), new PhaseRecorder.Outcome(name, statusOf(session),
                            !session.isFailed(), millis, answer, sentAt));
                    return session.remove(Endpoints.ANSWER_STATUS).remove(Endpoints.ANSWER_BODY);
                });
    }

    /** The status of the last request, 0 when it got no answer or failed its checks. */
    private static int statusOf(Session session) {
        return session.contains(STATUS) ? session.getInt(STATUS) : 0;
    }

    private static boolean served(Session session) {
        return statusOf(session) / 100 == 2;
    }

    private String randomId() {
        return idPrefix + ThreadLocalRandom.current().nextInt(ITEM_COUNT);
    }

    private static int randomQuantity() {
        return ThreadLocalRandom.current().nextInt(1000);
    }
}
