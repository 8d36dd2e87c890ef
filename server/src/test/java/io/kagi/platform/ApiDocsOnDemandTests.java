package io.kagi.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.AnnotatedGenericBeanDefinition;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.classreading.SimpleMetadataReaderFactory;

class ApiDocsOnDemandTests {

    private final SimpleMetadataReaderFactory readers = new SimpleMetadataReaderFactory();

    @Test
    void springdocsBeansWaitForTheirFirstUseAndEveryOtherBeanStaysEager() throws IOException {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerBeanDefinition("docsByType",
                new RootBeanDefinition("org.springdoc.core.properties.SpringDocConfigProperties"));
        beans.registerBeanDefinition("docsByFactoryMethod", factoryMethodOf("org.springdoc.core.configuration.SpringDocConfiguration"));
        beans.registerBeanDefinition("ours", factoryMethodOf(WebConfiguration.class.getName()));
        beans.registerBeanDefinition("oursByType", new RootBeanDefinition(KeyRing.class));

        new ApiDocsOnDemand().postProcessBeanFactory(beans);

        assertThat(beans.getBeanDefinition("docsByType").isLazyInit()).isTrue();
        assertThat(beans.getBeanDefinition("docsByFactoryMethod").isLazyInit()).isTrue();
        assertThat(beans.getBeanDefinition("ours").isLazyInit()).isFalse();
        assertThat(beans.getBeanDefinition("oursByType").isLazyInit()).isFalse();
    }

    private AnnotatedGenericBeanDefinition factoryMethodOf(String configurationClass) throws IOException {
        AnnotationMetadata type = readers.getMetadataReader(configurationClass).getAnnotationMetadata();
        return new AnnotatedGenericBeanDefinition(type, type.getDeclaredMethods().iterator().next());
    }
}
