/**
 * The {@code herald} command line (picocli): {@code serve}, {@code token-request} and the developer
 * helpers {@code token inspect} and {@code capability explain}.
 */
package io.herald.server.cli;
