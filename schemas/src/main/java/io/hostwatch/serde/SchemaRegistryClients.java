package io.hostwatch.serde;

/** Builds the registry client components use: REST, behind a cache. */
public final class SchemaRegistryClients {
    private SchemaRegistryClients() {}

    public static SchemaRegistryClient forUrl(String baseUrl) {
        return new CachingSchemaRegistryClient(new RestSchemaRegistryClient(baseUrl));
    }
}
