package io.herald.demo;

/**
 * A signed-in demo user: the username doubles as the Ably clientId of the user's tokens.
 *
 * @param username the login name and clientId
 * @param role     what the user's tokens allow
 */
public record User(String username, Role role) {}
