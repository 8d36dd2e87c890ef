package io.kagi.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.Map;

import org.springframework.core.ConfigurableObjectInputStream;

/**
 * A session's attributes as one value of the table: Java serialization of the map (the security
 * context and Spring's CSRF token are Serializable, as Spring Session requires too). Reading
 * accepts only the JDK's, Spring's and Kagi's own classes, so that a row written by anything else
 * cannot make the node instantiate arbitrary classes.
 */
final class SessionAttributes {

    private static final ObjectInputFilter ALLOWED = ObjectInputFilter.Config.createFilter(
            "maxdepth=20;maxrefs=10000;maxbytes=1048576;java.**;org.springframework.**;io.kagi.**;!*");

    private final ClassLoader classLoader;

    SessionAttributes(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** Writes the map as it is: a session's attributes are a {@link HashMap} ({@link StoredSession}). */
    byte[] write(Map<String, Object> attributes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(attributes);
        } catch (IOException e) {
            throw new IllegalArgumentException("A session attribute is not serializable: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> read(byte[] stored) {
        try (ConfigurableObjectInputStream in = new ConfigurableObjectInputStream(new ByteArrayInputStream(stored), classLoader)) {
            in.setObjectInputFilter(ALLOWED);
            return (Map<String, Object>) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new UnreadableSession(e);
        }
    }

    /** A stored session that this node cannot read (written by another version, or not by Kagi at all). */
    static final class UnreadableSession extends RuntimeException {
        UnreadableSession(Exception cause) {
            super("A stored session could not be read: " + cause.getMessage(), cause);
        }
    }
}
