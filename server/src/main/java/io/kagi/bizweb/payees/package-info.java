/**
 * 振込先管理 (BPAY001–004): the transactional service holding its rules and SQL ({@link io.kagi.bizweb.payees.Payees}), its controller and forms.
 */
package io.kagi.bizweb.payees;
