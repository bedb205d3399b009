package dev.bulwark.dev;

import dev.bulwark.service.BulwarkApplication;
import dev.bulwark.service.BulwarkConfiguration;
import io.dropwizard.core.setup.Bootstrap;

/**
 * The Bulwark service plus the {@code dev} command ({@link DevCommand}): the main class of
 * {@code bulwark-dev.jar}, the jar for trying the service with nothing installed. It carries the embedded
 * PostgreSQL and Redis binaries, which the production jar ({@code bulwark-service.jar}) and the image
 * leave out; every other command is the service's own.
 */
public class DevApplication extends BulwarkApplication {

    public static void main(String[] args) throws Exception {
        new DevApplication().run(args);
    }

    @Override
    public void initialize(Bootstrap<BulwarkConfiguration> bootstrap) {
        super.initialize(bootstrap);
        bootstrap.addCommand(new DevCommand(this));
    }
}
