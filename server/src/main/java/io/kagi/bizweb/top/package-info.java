/**
 * The top page (BTOP001: ご利用履歴, お知らせ, work waiting) and the work menu.
 */
package io.kagi.bizweb.top;
