package io.kagi.platform;

import java.util.List;

/**
 * Lines a module wants printed once the server is ready (for example the demo company's first-use
 * credentials on the embedded default). Must not hold production secrets.
 */
public interface StartupNotice {

    List<String> lines();
}
