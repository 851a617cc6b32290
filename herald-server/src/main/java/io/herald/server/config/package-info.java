/**
 * Server configuration: the YAML file, {@code --key} options and {@code HERALD_KEYS}, with every default written once
 * in {@link io.herald.server.config.ServerConfig} and errors that name the bad setting.
 */
package io.herald.server.config;
