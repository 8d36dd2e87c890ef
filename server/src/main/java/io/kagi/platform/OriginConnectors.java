package io.kagi.platform;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.connector.Connector;

import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The listening sockets of the token app's origin (and the console's, when it has a port of its
 * own): connectors beside the main one, on the same address, with the main connector's limits for
 * slow and large requests (they are public too), and the {@link OriginSeparation} filter first in
 * line.
 */
@Configuration(proxyBeanMethods = false)
class OriginConnectors {

    /** Threads of each extra connector: the app's origin serves static files and activation calls. */
    private static final int THREADS = 8;

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> originConnectorsOnTomcat(Origins origins, ServerProperties server,
                                                                             TomcatServerProperties tomcat) {
        return factory -> {
            if (origins.configuredAppPort() >= 0) {
                factory.addAdditionalConnectors(connector("app", origins.configuredAppPort(), server, tomcat));
            }
            if (origins.configuredConsolePort() >= 0) {
                factory.addAdditionalConnectors(connector("console", origins.configuredConsolePort(), server, tomcat));
            }
        };
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> originPorts(Origins origins) {
        return event -> {
            if (!(event.getWebServer() instanceof TomcatWebServer tomcat)
                    || "management".equals(event.getApplicationContext().getServerNamespace())) {
                return;
            }
            int app = -1;
            int console = -1;
            for (Connector connector : tomcat.getTomcat().getService().findConnectors()) {
                Object name = connector.getProperty("kagiOrigin");
                if ("app".equals(name)) {
                    app = connector.getLocalPort();
                } else if ("console".equals(name)) {
                    console = connector.getLocalPort();
                }
            }
            origins.listening(app, console);
        };
    }

    @Bean
    FilterRegistrationBean<OriginSeparation> originSeparation(Origins origins) {
        FilterRegistrationBean<OriginSeparation> registration = new FilterRegistrationBean<>(new OriginSeparation(origins));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    private static Connector connector(String origin, int port, ServerProperties server, TomcatServerProperties tomcat) {
        Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        connector.setPort(port);
        connector.setProperty("kagiOrigin", origin);
        InetAddress address = server.getAddress();
        if (address != null) {
            connector.setProperty("address", address.getHostAddress());
        }
        List<String[]> limits = new ArrayList<>();
        if (tomcat.getConnectionTimeout() != null) {
            limits.add(new String[] {"connectionTimeout", String.valueOf(tomcat.getConnectionTimeout().toMillis())});
        }
        if (tomcat.getKeepAliveTimeout() != null) {
            limits.add(new String[] {"keepAliveTimeout", String.valueOf(tomcat.getKeepAliveTimeout().toMillis())});
        }
        limits.add(new String[] {"maxHttpRequestHeaderSize", String.valueOf(server.getMaxHttpRequestHeaderSize().toBytes())});
        limits.add(new String[] {"maxSwallowSize", String.valueOf(tomcat.getMaxSwallowSize().toBytes())});
        limits.add(new String[] {"maxThreads", String.valueOf(THREADS)});
        for (String[] limit : limits) {
            connector.setProperty(limit[0], limit[1]);
        }
        connector.setMaxPostSize((int) tomcat.getMaxHttpFormPostSize().toBytes());
        return connector;
    }
}
