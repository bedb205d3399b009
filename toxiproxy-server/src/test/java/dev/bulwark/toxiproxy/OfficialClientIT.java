package dev.bulwark.toxiproxy;

import static eu.rekawek.toxiproxy.model.ToxicDirection.DOWNSTREAM;
import static eu.rekawek.toxiproxy.model.ToxicDirection.UPSTREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.toxic.Bandwidth;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.LimitData;
import eu.rekawek.toxiproxy.model.toxic.ResetPeer;
import eu.rekawek.toxiproxy.model.toxic.Slicer;
import eu.rekawek.toxiproxy.model.toxic.SlowClose;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every call of the official Java client, against the embedded server, behaves as the reference says. */
class OfficialClientIT {

    @RegisterExtension
    static final EmbeddedToxiproxy toxiproxy = new EmbeddedToxiproxy();

    private ToxiproxyClient client;
    private TestServer upstream;

    @BeforeEach
    void useServer() {
        client = toxiproxy.client();
        upstream = toxiproxy.echo();
    }

    private Proxy createProxy(String name) throws IOException {
        return client.createProxy(name, "127.0.0.1:0", upstream.address());
    }

    @Test
    void shouldReportTheVersion() throws IOException {
        assertThat(client.version()).contains("\"version\"").contains("2.12.0");
    }

    @Test
    void shouldCreateGetListAndDeleteProxies() throws IOException {
        // Given / When
        Proxy created = client.createProxy("redis:6379", "127.0.0.1:0", upstream.address());
        createProxy("database");

        // Then
        assertThat(created.getName()).isEqualTo("redis:6379");
        assertThat(created.getListen()).startsWith("127.0.0.1:").doesNotEndWith(":0");
        assertThat(created.getUpstream()).isEqualTo(upstream.address());
        assertThat(created.isEnabled()).isTrue();
        assertThat(client.getProxy("redis:6379").getListen()).isEqualTo(created.getListen());
        assertThat(client.getProxies()).extracting(Proxy::getName).containsExactly("database", "redis:6379");

        // When
        created.delete();

        // Then
        assertThat(client.getProxyOrNull("redis:6379")).isNull();
        assertThat(client.getProxies()).extracting(Proxy::getName).containsExactly("database");
    }

    @Test
    void shouldRefuseADuplicateProxyWithTheGoErrorText() throws IOException {
        createProxy("redis");

        assertThatThrownBy(() -> createProxy("redis"))
                .isInstanceOf(IOException.class)
                .hasMessage("[409] proxy already exists");
    }

    @Test
    void shouldReportAnUnknownProxy() {
        assertThatThrownBy(() -> client.getProxy("missing"))
                .isInstanceOf(IOException.class)
                .hasMessage("[404] proxy not found");
    }

    @Test
    void shouldDisableAndEnableOnTheSamePort() throws IOException {
        Proxy proxy = createProxy("redis");
        String listen = proxy.getListen();

        proxy.disable();
        assertThat(proxy.isEnabled()).isFalse();
        assertThat(client.getProxy("redis").isEnabled()).isFalse();

        proxy.enable();
        assertThat(proxy.isEnabled()).isTrue();
        assertThat(client.getProxy("redis").getListen()).isEqualTo(listen);
    }

    @Test
    void shouldChangeListenAndUpstream() throws IOException {
        Proxy proxy = createProxy("redis");

        proxy.setUpstream("127.0.0.1:1");
        proxy.setListen("localhost:0");

        Proxy fetched = client.getProxy("redis");
        assertThat(fetched.getUpstream()).isEqualTo("127.0.0.1:1");
        assertThat(fetched.getListen()).startsWith("127.0.0.1:").doesNotEndWith(":0");
    }

    @Test
    void shouldCreateEveryToxicTypeWithItsAttributes() throws IOException {
        Proxy proxy = createProxy("redis");

        Latency latency = proxy.toxics().latency("latency", DOWNSTREAM, 120);
        Bandwidth bandwidth = proxy.toxics().bandwidth("bandwidth", UPSTREAM, 64);
        Slicer slicer = proxy.toxics().slicer("slicer", DOWNSTREAM, 100, 50);
        SlowClose slowClose = proxy.toxics().slowClose("slow_close", UPSTREAM, 300);
        Timeout timeout = proxy.toxics().timeout("timeout", DOWNSTREAM, 0);
        LimitData limitData = proxy.toxics().limitData("limit_data", UPSTREAM, 1000);
        ResetPeer resetPeer = proxy.toxics().resetPeer("reset_peer", DOWNSTREAM, 25);

        assertThat(latency.getLatency()).isEqualTo(120);
        assertThat(latency.getJitter()).isZero();
        assertThat(latency.getStream()).isEqualTo(DOWNSTREAM);
        assertThat(latency.getToxicity()).isEqualTo(1.0f);
        assertThat(bandwidth.getRate()).isEqualTo(64);
        assertThat(bandwidth.getStream()).isEqualTo(UPSTREAM);
        assertThat(slicer.getAverageSize()).isEqualTo(100);
        assertThat(slicer.getSizeVariation()).isZero();
        assertThat(slicer.getDelay()).isEqualTo(50);
        assertThat(slowClose.getDelay()).isEqualTo(300);
        assertThat(timeout.getTimeout()).isZero();
        assertThat(limitData.getBytes()).isEqualTo(1000);
        assertThat(resetPeer.getTimeout()).isEqualTo(25);
        assertThat(proxy.toxics().getAll())
                .extracting(Toxic::getName)
                .containsExactly("bandwidth", "slow_close", "limit_data",
                        "latency", "slicer", "timeout", "reset_peer");
        assertThat(proxy.toxics().get("slicer", Slicer.class).getDelay()).isEqualTo(50);
    }

    @Test
    void shouldApplyEveryAttributeSetter() throws IOException {
        Proxy proxy = createProxy("redis");

        proxy.toxics().latency("latency", DOWNSTREAM, 10).setLatency(20).setJitter(5);
        proxy.toxics().bandwidth("bandwidth", DOWNSTREAM, 10).setRate(30);
        proxy.toxics().slicer("slicer", DOWNSTREAM, 10, 1).setAverageSize(40).setSizeVariation(4).setDelay(400);
        proxy.toxics().slowClose("slow_close", DOWNSTREAM, 10).setDelay(50);
        proxy.toxics().timeout("timeout", DOWNSTREAM, 10).setTimeout(60);
        proxy.toxics().limitData("limit_data", DOWNSTREAM, 10).setBytes(70);
        proxy.toxics().resetPeer("reset_peer", DOWNSTREAM, 10).setTimeout(80);

        Latency latency = proxy.toxics().get("latency", Latency.class);
        assertThat(latency.getLatency()).isEqualTo(20);
        assertThat(latency.getJitter()).isEqualTo(5);
        assertThat(proxy.toxics().get("bandwidth", Bandwidth.class).getRate()).isEqualTo(30);
        Slicer slicer = proxy.toxics().get("slicer", Slicer.class);
        assertThat(slicer.getAverageSize()).isEqualTo(40);
        assertThat(slicer.getSizeVariation()).isEqualTo(4);
        assertThat(slicer.getDelay()).isEqualTo(400);
        assertThat(proxy.toxics().get("slow_close", SlowClose.class).getDelay()).isEqualTo(50);
        assertThat(proxy.toxics().get("timeout", Timeout.class).getTimeout()).isEqualTo(60);
        assertThat(proxy.toxics().get("limit_data", LimitData.class).getBytes()).isEqualTo(70);
        assertThat(proxy.toxics().get("reset_peer", ResetPeer.class).getTimeout()).isEqualTo(80);
    }

    @Test
    void shouldSetToxicityWithoutTouchingAttributes() throws IOException {
        Proxy proxy = createProxy("redis");
        Latency latency = proxy.toxics().latency("latency", UPSTREAM, 100);

        latency.setToxicity(0.25f);

        Latency fetched = proxy.toxics().get("latency", Latency.class);
        assertThat(latency.getToxicity()).isEqualTo(0.25f);
        assertThat(fetched.getToxicity()).isEqualTo(0.25f);
        assertThat(fetched.getLatency()).isEqualTo(100);
    }

    @Test
    void shouldRemoveAToxicAndThenReportItMissing() throws IOException {
        Proxy proxy = createProxy("redis");
        proxy.toxics().latency("latency", DOWNSTREAM, 100).remove();

        assertThat(proxy.toxics().getAll()).isEmpty();
        assertThatThrownBy(() -> proxy.toxics().get("latency"))
                .isInstanceOf(IOException.class)
                .hasMessage("[404] toxic not found");
    }

    @Test
    void shouldRefuseADuplicateToxicNameAcrossStreams() throws IOException {
        Proxy proxy = createProxy("redis");
        proxy.toxics().latency("slow", DOWNSTREAM, 100);

        assertThatThrownBy(() -> proxy.toxics().bandwidth("slow", UPSTREAM, 1))
                .isInstanceOf(IOException.class)
                .hasMessage("[409] toxic already exists");
    }

    @Test
    void shouldResetByRemovingToxicsAndEnablingProxies() throws IOException {
        Proxy proxy = createProxy("redis");
        proxy.toxics().latency("latency", DOWNSTREAM, 100);
        proxy.toxics().timeout("timeout", UPSTREAM, 100);
        proxy.disable();

        client.reset();

        assertThat(proxy.isEnabled()).isTrue();
        assertThat(proxy.toxics().getAll()).isEmpty();
        assertThat(client.getProxies()).extracting(Proxy::getName).containsExactly("redis");
    }
}
