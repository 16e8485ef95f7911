package dev.quarry.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.iscsi.session.ConnectionState.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectionStateTest {

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @CsvSource({
        "FREE, TRANSPORT_UP, XPT_UP",
        "XPT_UP, LOGIN_REQUEST, IN_LOGIN",
        "XPT_UP, LOGIN_TIMEOUT, FREE",
        "IN_LOGIN, LOGIN_COMPLETE, LOGGED_IN",
        "IN_LOGIN, LOGIN_FAILED, FREE",
        "IN_LOGIN, LOGIN_TIMEOUT, FREE",
        "LOGGED_IN, LOGOUT_REQUEST, IN_LOGOUT",
        "LOGGED_IN, ASYNC_LOGOUT_SENT, LOGOUT_REQUESTED",
        "LOGGED_IN, TRANSPORT_CLOSED, FREE",
        "LOGOUT_REQUESTED, LOGOUT_REQUEST, IN_LOGOUT",
        "IN_LOGOUT, LOGOUT_RESPONSE_SENT, FREE",
    })
    void shouldFollowRfc7143TargetTransitions(ConnectionState from, Event event, ConnectionState to) {
        assertThat(from.next(event)).isEqualTo(to);
    }

    @ParameterizedTest(name = "{0} --{1}--> refused")
    @CsvSource({"FREE, LOGIN_REQUEST", "XPT_UP, LOGIN_COMPLETE", "LOGGED_IN, LOGIN_COMPLETE", "IN_LOGOUT, LOGIN_REQUEST",
        "CLEANUP_WAIT, TRANSPORT_CLOSED"})
    void shouldRefuseImpossibleTransitions(ConnectionState from, Event event) {
        assertThatThrownBy(() -> from.next(event)).isInstanceOf(IllegalStateException.class);
    }
}
