package dev.bulwark.dev;

import dev.bulwark.embedded.EmbeddedBackends;
import dev.bulwark.service.BulwarkConfiguration;
import dev.bulwark.service.cli.EnvironmentConfig;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.ResourceConfigurationSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.ServerLifecycleListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.sourceforge.argparse4j.inf.Namespace;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * {@code dev [config.yml]}: starts an embedded PostgreSQL and Redis on free ports, then the server
 * against them, and prints where everything listens. Without a file it uses the {@code config.yml}
 * bundled in the jar. Environment variables apply as with {@code server}, except that the database
 * and Redis settings point at the embedded servers.
 *
 * <p>SIGTERM or Ctrl-C stops the server first and then both embedded servers, so no postgres or
 * redis process outlives the JVM; so does a failed start.
 */
public final class DevCommand extends ServerCommand<BulwarkConfiguration> {

    /** How long the shutdown hook waits for the server to stop before stopping the backends anyway. */
    private static final Duration SERVER_STOP_WAIT = Duration.ofSeconds(30);

    private final PrintStream out;
    private final CountDownLatch serverStopped = new CountDownLatch(1);
    private final AtomicBoolean serverStarting = new AtomicBoolean();
    private EmbeddedBackends backends;

    public DevCommand(Application<BulwarkConfiguration> application) {
        this(application, System.out);
    }

    DevCommand(Application<BulwarkConfiguration> application, PrintStream out) {
        super(application, "dev", "Runs the server against an embedded PostgreSQL and Redis (nothing to install)");
        this.out = out;
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        out.println("Starting embedded PostgreSQL and Redis...");
        backends = EmbeddedBackends.start();
        out.printf("Embedded PostgreSQL on 127.0.0.1:%d, embedded Redis on 127.0.0.1:%d%n",
                backends.postgresPort(), backends.redisPort());
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopBackendsAfterServer, "dev-backends-stop"));
        try {
            String file = namespace.getString("file");
            bootstrap.setConfigurationSourceProvider(EnvironmentConfig.substituting(
                    file == null ? new ResourceConfigurationSourceProvider() : new FileConfigurationSourceProvider(),
                    Map.of("DB_URL", backends.jdbcUrl(), "DB_USER", backends.jdbcUser(), "DB_PASSWORD", "",
                            "REDIS_URL", backends.redisUrl())));
            Map<String, Object> attrs = new HashMap<>(namespace.getAttrs());
            if (file == null) {
                attrs.put("file", "config.yml");
            }
            super.run(bootstrap, new Namespace(attrs));
        } catch (Exception | Error e) {
            backends.close();
            throw e;
        }
    }

    @Override
    protected void run(Environment environment, Namespace namespace, BulwarkConfiguration configuration)
            throws Exception {
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                serverStarting.set(true);
            }

            @Override
            public void lifeCycleStopped(LifeCycle event) {
                backends.close();
                serverStopped.countDown();
            }
        });
        environment.lifecycle().addServerLifecycleListener(announce());
        super.run(environment, namespace, configuration);
    }

    private ServerLifecycleListener announce() {
        return new ServerLifecycleListener() {
            @Override
            public void serverStarted(org.eclipse.jetty.server.Server server) {
                out.printf("Bulwark dev server listening on http://127.0.0.1:%d (admin http://127.0.0.1:%d)."
                                + " Ctrl-C stops everything.%n", getLocalPort(server), getAdminPort(server));
                out.flush();
            }
        };
    }

    // On SIGTERM Jetty's own hook stops the server; the backends must outlive it so in-flight requests
    // and the pools close cleanly, hence the wait.
    private void stopBackendsAfterServer() {
        if (serverStarting.get()) {
            try {
                serverStopped.await(SERVER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        backends.close();
    }
}
