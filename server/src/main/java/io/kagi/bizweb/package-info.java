/**
 * The Business Web portal (ビジネスWeb): the bank's site for its corporate customers. One package a
 * menu item, each holding its transactional service (rules and SQL; each change commits with its
 * audit row), its controllers and forms: {@code login} (BLGI001, first use, BPWD001), {@code tokens}
 * (ELG016, ELG017), {@code top} (BTOP001), {@code payees} (振込先管理), {@code transfers} (振込依頼 and
 * 承認), {@code users} (利用者管理); {@code portal} holds what they share. This package is the
 * module's API for the console ({@link io.kagi.bizweb.CustomerAdministration}) and the demo company.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Business Web portal",
        allowedDependencies = {"platform", "audit", "authority", "confirmation", "mail", "session", "signin", "certificates"})
package io.kagi.bizweb;
