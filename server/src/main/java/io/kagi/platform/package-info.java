/**
 * What every module shares and nothing else: the clock, the key ring that encrypts secrets at rest,
 * the bank's own settings and the start-up report.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Platform", type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.kagi.platform;
