package io.kagi.activation;

/** A message of the activation exchange that is malformed or that the protocol must refuse. */
public class ActivationProtocolException extends RuntimeException {

    public ActivationProtocolException(String message) {
        super(message);
    }
}
