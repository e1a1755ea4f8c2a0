package dev.berth.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * JSON as the API speaks it: enums in their lower-case wire form (read case-insensitively), unknown
 * fields, duplicate keys and anything after the document refused (a typo or a second value must not
 * pass silently), ISO-8601 times, bounded nesting (64), string (1M characters) and number (100
 * digits) lengths.
 */
@Configuration(proxyBeanMethods = false)
public class JsonConfig {
  @Bean
  Jackson2ObjectMapperBuilderCustomizer berthJson() {
    return b ->
        b.featuresToEnable(
                SerializationFeature.WRITE_ENUMS_USING_TO_STRING,
                DeserializationFeature.READ_ENUMS_USING_TO_STRING,
                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS,
                JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .featuresToDisable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .postConfigurer(
                m ->
                    m.getFactory()
                        .setStreamReadConstraints(
                            StreamReadConstraints.builder()
                                .maxNestingDepth(64)
                                .maxStringLength(1_000_000)
                                .maxNumberLength(100)
                                .build()));
  }
}
