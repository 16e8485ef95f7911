package dev.quarry.admin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenAuthenticatorTest {

    private static final String ADMIN = "admin-0123456789abcdef";
    private static final String READER = "reader-0123456789abcdef";
    private final TokenAuthenticator auth = TokenAuthenticator.of(Map.of(ADMIN, Role.ADMIN, READER, Role.READ_ONLY));

    @Test
    void shouldFindTheRoleOfAKnownBearerToken() {
        assertThat(auth.authenticate("Bearer " + ADMIN)).contains(Role.ADMIN);
        assertThat(auth.authenticate("bearer " + READER)).contains(Role.READ_ONLY);
    }

    @Test
    void shouldRefuseMissingUnknownAndNonBearerCredentials() {
        assertThat(auth.authenticate(null)).isEmpty();
        assertThat(auth.authenticate("Bearer " + ADMIN + "x")).isEmpty();
        assertThat(auth.authenticate("Basic " + ADMIN)).isEmpty();
        assertThat(auth.authenticate(ADMIN)).isEmpty();
    }

    @Test
    void shouldLetRolesReachOnlyTheirRoutes() {
        assertThat(Role.READ_ONLY.permits(Access.READ)).isTrue();
        assertThat(Role.READ_ONLY.permits(Access.ADMIN)).isFalse();
        assertThat(Role.ADMIN.permits(Access.ADMIN)).isTrue();
    }

    @Test
    void shouldRefuseShortTokensWithoutShowingThem() {
        assertThatThrownBy(() -> TokenAuthenticator.of(Map.of("short-one", Role.ADMIN)))
                .hasMessageContaining("at least 16").hasMessageNotContaining("short-one");
    }

    @Test
    void shouldAdmitEverythingWhenDisabled() {
        assertThat(TokenAuthenticator.DISABLED.authenticate(null)).contains(Role.ADMIN);
        assertThat(TokenAuthenticator.DISABLED.enabled()).isFalse();
    }
}
