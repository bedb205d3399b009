package dev.bulwark.service.testing;

import dev.bulwark.service.BulwarkApplication;
import dev.bulwark.service.BulwarkConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole application, started from the real {@code config.yml} against {@link TestBackends} on
 * free ports, plus a small HTTP client for it. Register one per test class with
 * {@code @RegisterExtension static final TestApp APP = TestApp.create();}.
 */
public final class TestApp implements BeforeAllCallback, AfterAllCallback {

    private final DropwizardAppExtension<BulwarkConfiguration> app;

    private TestApp(DropwizardAppExtension<BulwarkConfiguration> app) {
        this.app = app;
    }

    /** The application on the real config. */
    public static TestApp create() {
        return create(Map.of());
    }

    /** The application on the real config, with {@code overrides} (config path to value) replacing defaults. */
    public static TestApp create(Map<String, String> overrides) {
        return create(BulwarkApplication.class, overrides);
    }

    /** As {@link #create(Map)}, for a subclass of the application (e.g. one that adds instrumentation). */
    public static TestApp create(Class<? extends BulwarkApplication> application, Map<String, String> overrides) {
        Map<String, Supplier<String>> settings = new LinkedHashMap<>();
        settings.put("server.applicationConnectors[0].port", () -> "0");
        settings.put("server.adminConnectors[0].port", () -> "0");
        settings.put("database.url", () -> TestBackends.shared().jdbcUrl());
        settings.put("database.user", () -> TestBackends.shared().dbUser());
        settings.put("database.password", () -> TestBackends.shared().dbPassword());
        settings.put("redis.url", () -> TestBackends.shared().redisUrl());
        settings.put("logging.level", () -> "WARN");
        overrides.forEach((key, value) -> settings.put(key, () -> value));
        ConfigOverride[] configOverrides = settings.entrySet().stream()
                .map(setting -> ConfigOverride.config(setting.getKey(), setting.getValue()))
                .toArray(ConfigOverride[]::new);
        return new TestApp(new DropwizardAppExtension<>(application, "config.yml", configOverrides));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        app.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        app.afterAll(context);
    }

    public DropwizardAppExtension<BulwarkConfiguration> extension() {
        return app;
    }

    /** A client for the application port. */
    public HttpTestClient http() {
        return HttpTestClient.on(app.getLocalPort());
    }

    public URI uri(String pathAndQuery) {
        return http().uri(pathAndQuery);
    }

    public HttpResponse<String> get(String path) {
        return http().get(path);
    }

    public HttpResponse<String> delete(String path) {
        return http().delete(path);
    }

    /** PUT with {@code Content-Type: application/json}. */
    public HttpResponse<String> putJson(String path, String body) {
        return http().putJson(path, body);
    }

    public HttpResponse<String> put(String path, String contentType, String body) {
        return http().put(path, contentType, body);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        return http().send(request);
    }
}
