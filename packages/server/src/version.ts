/** The Argus version, reported by `argus --version`, /health and the OpenAPI document. */
export const ARGUS_VERSION = '0.1.0';
