package io.kagi.platform;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.type.MethodMetadata;

/**
 * Builds the OpenAPI document's machinery (springdoc, swagger-core and the Jackson 2 they bring)
 * on its first request instead of at start-up: it is read by integrators now and then, and
 * building it eagerly cost a node 0.7 s of its start-up and 1.5 s of CPU on two cores
 * (bench/results). springdoc's request handlers are still mapped at start-up (by type), so
 * {@code /api/openapi} answers as before; a broken springdoc set-up now shows on that first
 * request, which the API tests make.
 */
final class ApiDocsOnDemand implements BeanFactoryPostProcessor {

    private static final String SPRINGDOC = "org.springdoc.";

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        for (String name : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition definition = beanFactory.getBeanDefinition(name);
            if (isSpringdoc(definition)) {
                definition.setLazyInit(true);
            }
        }
    }

    static boolean isSpringdoc(BeanDefinition definition) {
        String type = definition.getBeanClassName();
        if (type != null && type.startsWith(SPRINGDOC)) {
            return true;
        }
        if (definition instanceof AnnotatedBeanDefinition annotated) {
            MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
            return factoryMethod != null && factoryMethod.getDeclaringClassName().startsWith(SPRINGDOC);
        }
        return false;
    }
}
