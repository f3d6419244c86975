/** Small mechanisms shared by the launcher, the hub and the plugins, that belong to none of them. */
package support;
