package dev.bulwark.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bulwark.toxiproxy.ToxiproxyServer;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** The harness picks TOXIPROXY_URL, else Docker, else the embedded server, and closes only what it started. */
class ToxiproxyEndpointIT {

    private static final BooleanSupplier DOCKER_MUST_NOT_BE_PROBED = () -> {
        throw new AssertionError("Docker was probed although TOXIPROXY_URL is set");
    };

    @Test
    void shouldUseTheUrlSettingAndLeaveThatServerRunning() throws Exception {
        try (ToxiproxyServer running = ToxiproxyServer.startOnFreePort()) {
            // Given / When
            ToxiproxyEndpoint endpoint = ToxiproxyEndpoint.pick(
                    name -> name.equals("TOXIPROXY_URL") ? running.baseUrl() + " " : null, DOCKER_MUST_NOT_BE_PROBED);

            // Then
            assertThat(endpoint.kind()).isEqualTo(ToxiproxyEndpoint.Kind.EXTERNAL);
            assertThat(endpoint.baseUrl()).isEqualTo(running.baseUrl());
            assertThat(endpoint.client().version()).contains("version");
            endpoint.close();
            assertThat(endpoint.client().version()).contains("version");
        }
    }

    @Test
    void shouldDefaultTheUrlPortTo8474() throws Exception {
        try (ToxiproxyEndpoint endpoint = ToxiproxyEndpoint.pick(name -> "http://127.0.0.1", DOCKER_MUST_NOT_BE_PROBED)) {
            assertThat(endpoint.baseUrl()).isEqualTo("http://127.0.0.1:8474");
        }
    }

    @Test
    void shouldRejectAUrlThatIsNotHttp() {
        assertThatThrownBy(() -> ToxiproxyEndpoint.pick(name -> "127.0.0.1:8474", DOCKER_MUST_NOT_BE_PROBED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TOXIPROXY_URL must look like http://127.0.0.1:8474");
    }

    @Test
    void shouldStartTheEmbeddedServerWithoutUrlOrDockerAndStopItOnClose() throws Exception {
        ToxiproxyEndpoint endpoint = ToxiproxyEndpoint.pick(name -> null, () -> false);

        assertThat(endpoint.kind()).isEqualTo(ToxiproxyEndpoint.Kind.EMBEDDED);
        assertThat(endpoint.baseUrl()).startsWith("http://127.0.0.1:");
        assertThat(endpoint.client().version()).contains("2.12.0");
        endpoint.close();
        assertThatThrownBy(() -> endpoint.client().version()).isInstanceOf(IOException.class);
    }

    @Test
    void shouldStartTheRealImageWhenDockerIsAvailable() throws Exception {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "no Docker engine on this machine");

        try (ToxiproxyEndpoint endpoint = ToxiproxyEndpoint.pick(name -> null, () -> true)) {
            assertThat(endpoint.kind()).isEqualTo(ToxiproxyEndpoint.Kind.CONTAINER);
            assertThat(endpoint.client().version()).contains("2.12");
        }
    }
}
