package dev.bulwark.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class RestartablePostgresIT {

    @Test
    void shouldKeepItsPortAndCommittedDataAcrossAStopAndStartAndRefuseConnectionsInBetween() throws SQLException {
        try (RestartablePostgres postgres = RestartablePostgres.launch("fixture-test")) {
            // Given a committed row
            postgres.execute("CREATE TABLE kept (value text)");
            postgres.execute("INSERT INTO kept VALUES ('before the restart')");
            int port = postgres.port();
            Connection open = postgres.connect();

            // When it is stopped, connections are refused and the open one is gone
            postgres.stop();
            assertThat(postgres.running()).isFalse();
            assertThatThrownBy(postgres::connect).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> open.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);

            // And once started again, on the same port, the row is there
            long before = System.nanoTime();
            long accepted = postgres.start();
            assertThat(accepted).isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(System.nanoTime());
            assertThat(postgres.port()).isEqualTo(port);
            try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT value FROM kept")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("before the restart");
            }
        }
    }
}
