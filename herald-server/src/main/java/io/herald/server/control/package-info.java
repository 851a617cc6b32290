/**
 * The fault control API (docs/faults.md): {@code /control/faults}, on only with {@code control.token} or in sandbox
 * mode, for app developers testing how their Ably app survives failures.
 */
package io.herald.server.control;
