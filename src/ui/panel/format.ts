/**
 * Sizes in the panel use the model manager's one unit (decimal: 1 MB = 1,000,000 bytes, as the
 * download meter and model catalogs count), so the same model never shows two sizes.
 */
export { formatBytes } from '../model-manager/model-format';
