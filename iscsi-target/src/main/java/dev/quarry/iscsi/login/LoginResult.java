package dev.quarry.iscsi.login;

/**
 * A login that reached full feature phase: who logged in, to what, with which parameters.
 *
 * <p>Immutable and thread-safe.
 *
 * @param target the target of a Normal session; {@code null} for Discovery
 * @param initiatorAlias the declared InitiatorAlias, or {@code null}
 * @param cmdSn the CmdSN of the login requests: the first CmdSN of full feature phase
 * @param <T> the server's target type
 */
public record LoginResult<T extends TargetAccess>(SessionType sessionType, String initiatorName, String initiatorAlias,
                                                  long isid, int cid, T target, OperationalParameters parameters,
                                                  int cmdSn) {
}
