/**
 * Immutable configuration records with their defaults written once: limits and timings of the realtime service
 * ({@link io.herald.core.config.Limits}, {@link io.herald.core.config.Timings}), and apps, keys and namespaces
 * ({@link io.herald.core.config.AppConfig}, {@link io.herald.core.config.KeyConfig}).
 */
package io.herald.core.config;
