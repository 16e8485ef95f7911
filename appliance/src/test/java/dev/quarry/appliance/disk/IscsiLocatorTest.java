package dev.quarry.appliance.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code iscsi://} locator: every form parses, and no message or rendering ever shows the secret. */
class IscsiLocatorTest {

    @Test
    void shouldParseTheFullForm() {
        IscsiLocator locator = IscsiLocator.parse("iscsi://node1%s3cr%t/with@sign@10.0.0.7:3261/iqn.2001-04.com.example:disk-1/3");
        assertThat(locator.host()).isEqualTo("10.0.0.7");
        assertThat(locator.port()).isEqualTo(3261);
        assertThat(locator.targetName()).isEqualTo("iqn.2001-04.com.example:disk-1");
        assertThat(locator.lun()).isEqualTo(3);
        assertThat(locator.user()).isEqualTo("node1");
        assertThat(locator.inlineSecret()).contains("s3cr%t/with@sign");
        assertThat(locator.toString()).isEqualTo("iscsi://node1@10.0.0.7:3261/iqn.2001-04.com.example:disk-1/3");
        assertThat(locator.withoutSecret().inlineSecret()).isEmpty();
        assertThat(locator.secretKey()).isEqualTo("node1@10.0.0.7:3261/iqn.2001-04.com.example:disk-1");
    }

    @Test
    void shouldParseTheShortForms() {
        IscsiLocator plain = IscsiLocator.parse("iscsi://array7/iqn.2001-04.com.example:d/0");
        assertThat(plain.port()).isEqualTo(3260);
        assertThat(plain.user()).isNull();
        assertThat(plain.format()).isEqualTo("iscsi://array7:3260/iqn.2001-04.com.example:d/0");
        IscsiLocator stored = IscsiLocator.parse("iscsi://node1@array7:3260/iqn.2001-04.com.example:d/0");
        assertThat(stored.user()).isEqualTo("node1");
        assertThat(stored.inlineSecret()).isEmpty();
        IscsiLocator v6 = IscsiLocator.parse("ISCSI://[fd00::7]:3262/iqn.2001-04.com.example:d/12");
        assertThat(v6.host()).isEqualTo("fd00::7");
        assertThat(v6.port()).isEqualTo(3262);
        assertThat(v6.format()).isEqualTo("iscsi://[fd00::7]:3262/iqn.2001-04.com.example:d/12");
        assertThat(IscsiLocator.parse(v6.format())).isEqualTo(v6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:/dev/sdb", "iscsi://", "iscsi://host", "iscsi://host/iqn.x", "iscsi://host:99999/iqn.x/0",
        "iscsi://host/iqn.x/lun", "iscsi://host/iqn.x/16384", "iscsi://[fd00::1/iqn.x/0", "iscsi://%only-a-secret-1@h/iqn.x/0",
        "iscsi://u%top-secret-value@host:port/iqn.x/0"})
    void shouldRefuseMalformedLocatorsWithoutShowingTheirSecret(String locator) {
        assertThatThrownBy(() -> IscsiLocator.parse(locator)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("top-secret-value").doesNotContain("only-a-secret-1"));
    }
}
