package dev.bulwark.gatling;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The Toxiproxy proxies in front of the service's dependencies, {@code database} and {@code redis}
 * (the names of {@code deploy/toxiproxy.json} and {@code gatling/run-ci}), driven through the official
 * Java client. Each method returns a {@link ChaosTimeline.Change} to schedule, or acts at once
 * ({@link #reset()}). Thread-safe: every call is one HTTP request to Toxiproxy.
 */
public final class Proxies {

    public static final String DATABASE = "database";
    public static final String REDIS = "redis";
    private static final List<String> ALL = List.of(DATABASE, REDIS);

    private final ToxiproxyClient client;
    private final String url;

    private Proxies(ToxiproxyClient client, String url) {
        this.client = client;
        this.url = url;
    }

    public static Proxies connect(LoadConfig config) {
        return new Proxies(new ToxiproxyClient(config.toxiproxyHost(), config.toxiproxyPort()), config.toxiproxyUrl());
    }

    /** Enables both proxies and removes every toxic from them: a clean start, and a clean end. */
    public void reset() throws IOException {
        for (String name : ALL) {
            Proxy proxy = proxy(name);
            proxy.enable();
            for (Toxic toxic : proxy.toxics().getAll()) {
                toxic.remove();
            }
        }
    }

    /** {@link #reset()}, reporting a failure on stderr instead of throwing: for the end of a run. */
    public void resetQuietly() {
        try {
            reset();
            System.out.println("[chaos] proxies reset: " + String.join(", ", ALL) + " enabled, no toxics");
        } catch (IOException | RuntimeException e) {
            System.err.println("[chaos] could not reset the proxies at " + url + ": " + e);
        }
    }

    /** Cuts the service off from {@code name}: new connections are refused, open ones closed. */
    public ChaosTimeline.Change disable(String name) {
        return () -> proxy(name).disable();
    }

    public ChaosTimeline.Change enable(String name) {
        return () -> proxy(name).enable();
    }

    /** Delays every response from {@code name} by {@code latency}, as toxic {@code toxicName}. */
    public ChaosTimeline.Change addLatency(String name, String toxicName, Duration latency) {
        return () -> proxy(name).toxics().latency(toxicName, ToxicDirection.DOWNSTREAM, latency.toMillis());
    }

    public ChaosTimeline.Change removeToxic(String name, String toxicName) {
        return () -> proxy(name).toxics().get(toxicName).remove();
    }

    private Proxy proxy(String name) throws IOException {
        try {
            return client.getProxy(name);
        } catch (IOException e) {
            throw new IOException("Toxiproxy at " + url + " has no proxy '" + name
                    + "' or is not reachable (-DtoxiproxyUrl; proxies as in deploy/toxiproxy.json): " + e.getMessage(), e);
        }
    }
}
