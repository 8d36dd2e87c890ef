/**
 * 利用者管理 (BUSR001–005): adding users, roles, login locks and tokens of other users of the company ({@link io.kagi.bizweb.users.UserAdministration}), and its controller.
 */
package io.kagi.bizweb.users;
