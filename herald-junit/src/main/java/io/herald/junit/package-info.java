/**
 * A JUnit 5 extension that runs Herald in-process for tests of Ably client code: {@link io.herald.junit.Herald} on a
 * test class, or {@link io.herald.junit.HeraldExtension} with {@code @RegisterExtension}, and a
 * {@link io.herald.junit.HeraldInstance} parameter. {@link io.herald.junit.HeraldAbly} (the only class that needs
 * ably-java) makes ready {@code ClientOptions}.
 */
package io.herald.junit;
