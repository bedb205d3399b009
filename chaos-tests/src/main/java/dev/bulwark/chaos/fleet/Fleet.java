package dev.bulwark.chaos.fleet;

import dev.bulwark.chaos.ChaosEnvironment;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Several replicas of the service ({@link ServiceInstance}, the real jar each) behind one {@link HaProxy}, sharing
 * the chaos environment's PostgreSQL and Redis, each through its own Toxiproxy proxies ({@code database-1},
 * {@code redis-1}, ...), so a fault can hit one replica or all of them. Each replica runs with the default
 * resilience settings of {@code config.yml}; {@code env} adds to or overrides its variables. The proxies listen on
 * 127.0.0.1, so the chaos environment's Toxiproxy must run on this machine (not in a container). Not thread-safe:
 * start, restart and close it from the test's thread.
 */
public final class Fleet implements AutoCloseable {

    private final List<ServiceInstance> instances;
    private final HaProxy haProxy;

    private Fleet(List<ServiceInstance> instances, HaProxy haProxy) {
        this.instances = List.copyOf(instances);
        this.haProxy = haProxy;
    }

    /**
     * Starts {@code size} replicas of {@code jar} with {@code config} and HAProxy in front, and waits until every
     * replica is ready and HAProxy accepts connections. {@code haProxySettings} may change HAProxy's settings. Logs and the HAProxy config go to {@code directory}.
     */
    public static Fleet start(ChaosEnvironment environment, int size, Path jar, Path config, Path directory,
                              Map<String, String> env, UnaryOperator<HaProxy> haProxySettings) {
        List<ServiceInstance> instances = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            ToxiproxyClient toxiproxy = environment.toxiproxy();
            for (int i = 1; i <= size; i++) {
                Proxy database = recreate(toxiproxy, ChaosEnvironment.DATABASE + "-" + i,
                        environment.backends().databaseAddress());
                Proxy redis = recreate(toxiproxy, ChaosEnvironment.REDIS + "-" + i, environment.backends().redisAddress());
                int httpPort = FreePorts.next();
                int adminPort = FreePorts.next();
                Map<String, String> variables = new HashMap<>();
                variables.put("HTTP_PORT", Integer.toString(httpPort));
                variables.put("ADMIN_PORT", Integer.toString(adminPort));
                variables.put("ADMIN_BIND_HOST", "127.0.0.1");
                variables.put("DB_URL", environment.backends().jdbcUrlVia(database.getListen()));
                variables.put("DB_USER", environment.backends().dbUser());
                variables.put("DB_PASSWORD", environment.backends().dbPassword());
                variables.put("REDIS_URL", environment.backends().redisUrlVia(redis.getListen()));
                variables.putAll(env);
                Path log = directory.resolve("instance-" + i + ".log");
                Files.deleteIfExists(log);
                instances.add(new ServiceInstance(i, jar, config, log, variables, httpPort, adminPort, database, redis));
            }
            // One at a time: concurrent migrations are safe, but two cores start one JVM faster than three.
            for (ServiceInstance instance : instances) {
                instance.start();
                instance.awaitReady(Duration.ofSeconds(90));
            }
            HaProxy haProxy = haProxySettings.apply(
                    HaProxy.in(directory, instances.stream().map(ServiceInstance::httpPort).toList()));
            return new Fleet(instances, haProxy.start());
        } catch (IOException | RuntimeException e) {
            instances.forEach(ServiceInstance::close);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("could not start the fleet", io);
            }
            throw (RuntimeException) e;
        }
    }

    private static Proxy recreate(ToxiproxyClient client, String name, String upstream) throws IOException {
        Proxy existing = client.getProxyOrNull(name);
        if (existing != null) {
            existing.delete();
        }
        return client.createProxy(name, "127.0.0.1:0", upstream);
    }

    /** The replicas, {@code instance-1} first. */
    public List<ServiceInstance> instances() {
        return instances;
    }

    /** Replica {@code n}, counting from 1. */
    public ServiceInstance instance(int n) {
        return instances.get(n - 1);
    }

    /** The load balancer every client goes through. */
    public HaProxy haProxy() {
        return haProxy;
    }

    /** Disables one proxy of every replica, e.g. {@code fleet.disableEvery(ServiceInstance::database)}: a shared outage. */
    public void disableEvery(java.util.function.Function<ServiceInstance, Proxy> proxy) {
        for (ServiceInstance instance : instances) {
            try {
                proxy.apply(instance).disable();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Stops HAProxy and kills every replica still running. */
    @Override
    public void close() {
        haProxy.close();
        instances.forEach(ServiceInstance::close);
    }
}
