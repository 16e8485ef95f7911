/**
 * The login phase of RFC 7143 (§6, §12, §13) as plain logic, free of Netty: the key=value text
 * codec, per-key operational negotiation ({@link dev.quarry.iscsi.login.OperationalNegotiator}, a
 * pure function), CHAP with MD5 ({@link dev.quarry.iscsi.login.ChapAuthenticator} for the target,
 * {@link dev.quarry.iscsi.login.ChapResponder} for the initiator side), and the stage
 * machine of one connection's login ({@link dev.quarry.iscsi.login.LoginConversation}). Login
 * statuses leave this package as {@link dev.quarry.iscsi.login.LoginException}s.
 */
package dev.quarry.iscsi.login;
