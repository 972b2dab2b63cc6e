export {
  applyEnvironment,
  DEFAULT_HTTP_PORT,
  mergeAppSettings,
  readAppConfig,
  type AppConfig,
  type AppEnvironment,
  type CorsSettings,
} from "./app-config";
export {
  DEFAULT_ROUTE_PREFIX,
  HOST_JSON_FILE,
  parseHostJson,
  readHostJson,
  type HostJson,
} from "./host-json";
export {
  LOCAL_SETTINGS_FILE,
  parseLocalSettings,
  readLocalSettings,
  type LocalSettings,
} from "./local-settings";
