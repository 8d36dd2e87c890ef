/**
 * 振込依頼 (BTRF001–005) and 承認 (BAPR001–003): transfer requests and their approval ({@link io.kagi.bizweb.transfers.Transfers}), and their controllers.
 */
package io.kagi.bizweb.transfers;
