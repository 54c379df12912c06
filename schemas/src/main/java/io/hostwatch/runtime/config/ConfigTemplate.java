package io.hostwatch.runtime.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;

/** A commented properties file listing every key of a {@link ConfigDef}: the docs operators edit from. */
public final class ConfigTemplate {
    private static final int WIDTH = 110;

    private ConfigTemplate() {}

    public static String render(String header, ConfigDef definition) {
        StringBuilder out = new StringBuilder(header);
        for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
            out.append('\n');
            for (String line : wrap(key.documentation)) {
                out.append("# ").append(line).append('\n');
            }
            String type = key.type.name().toLowerCase(Locale.ROOT);
            if (key.hasDefault()) {
                String value = key.defaultValue == null ? "" : ConfigDef.convertToString(key.defaultValue, key.type);
                out.append("# Type: ")
                        .append(type)
                        .append(", default: [")
                        .append(value)
                        .append("]\n");
                out.append('#').append(key.name).append('=').append(value).append('\n');
            } else {
                out.append("# Type: ").append(type).append(", required.\n");
                out.append(key.name).append("=\n");
            }
        }
        return out.toString();
    }

    private static List<String> wrap(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
