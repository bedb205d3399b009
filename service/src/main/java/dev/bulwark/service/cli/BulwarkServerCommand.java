package dev.bulwark.service.cli;

import dev.bulwark.resilience.StartupFailedException;
import dev.bulwark.service.BulwarkConfiguration;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code server config.yml}, which reports a dependency that never came up at start-up as the one
 * line the start-up gate wrote (dependency, host:port, attempts, last error) instead of a stack trace;
 * the process still exits non-zero. Other failures are reported as Dropwizard does.
 */
public class BulwarkServerCommand extends ServerCommand<BulwarkConfiguration> {

    public BulwarkServerCommand(Application<BulwarkConfiguration> application) {
        super(application);
    }

    protected BulwarkServerCommand(Application<BulwarkConfiguration> application, String name, String description) {
        super(application, name, description);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (e instanceof StartupFailedException startup) {
            cli.getStdErr().println("Start-up failed: " + startup.getMessage());
        } else {
            super.onError(cli, namespace, e);
        }
    }
}
