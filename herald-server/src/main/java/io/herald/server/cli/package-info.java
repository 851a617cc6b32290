/**
 * The {@code herald} command line (picocli): {@code serve}, {@code backup}, {@code token-request}, {@code record} and
 * {@code replay} (io.herald.server.recording), and the developer helpers {@code token inspect} and
 * {@code capability explain}.
 */
package io.herald.server.cli;
