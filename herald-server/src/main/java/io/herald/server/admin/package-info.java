/**
 * The admin page: {@link io.herald.server.admin.AdminRoutes} serves {@code /admin} (a static page and its script)
 * and {@code GET /admin/api/summary} ({@link io.herald.server.admin.AdminSummary}) as routes of the node's REST route
 * table, only when {@code admin.token} is configured.
 */
package io.herald.server.admin;
