/**
 * The token app (ワンタイムパスワードアプリ): the installable web app for phones, served from
 * {@code static/app/} at {@code /app/}. Its screens, storage and codes run in the phone's browser;
 * it activates over the token authority's REST activation protocol. This module only serves it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Token app",
        allowedDependencies = {"platform"})
package io.kagi.tokenapp;
