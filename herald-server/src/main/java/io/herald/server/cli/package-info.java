/**
 * The {@code herald} command line (picocli): {@code serve}, {@code token-request} and the developer helpers.
 */
package io.herald.server.cli;
