<?php
/*
 * Router for PHP's built-in web server serving Debian's WordPress for the tests:
 *
 *   HEMICYCLE_WP_CONFIG=NAME HEMICYCLE_WP_CONTENT=DIR PHP_CLI_SERVER_WORKERS=2 \
 *       php -S 127.0.0.1:PORT -t /usr/share/wordpress scripts/wordpress/router.php
 *
 * Debian's wp-config.php loads /etc/wordpress/config-NAME.php when
 * $_SERVER['WORDPRESS_CONFIG'] is NAME (otherwise it goes by the Host header), so
 * several test runs can serve their own site on 127.0.0.1 at once. /wp-content/ is
 * served from the run's own content directory (uploads), like Debian's Apache alias.
 * Everything else that is not a file is WordPress's front controller (index.php), which
 * answers the REST API at /?rest_route=/wp/v2/... with plain permalinks.
 */

$config = getenv('HEMICYCLE_WP_CONFIG');
if ($config === false || !preg_match('/^[a-zA-Z0-9-]+$/', $config)) {
    http_response_code(500);
    echo "router.php: HEMICYCLE_WP_CONFIG is not set\n";
    return true;
}
$_SERVER['WORDPRESS_CONFIG'] = $config;

$root = rtrim($_SERVER['DOCUMENT_ROOT'], '/');
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
if (strpos($path, '..') !== false) {
    http_response_code(400);
    return true;
}

// Uploaded media and other content files, from the run's content directory.
$content = getenv('HEMICYCLE_WP_CONTENT');
if ($content !== false && strncmp($path, '/wp-content/', 12) === 0) {
    $file = $content . substr($path, 11);
    if (is_file($file) && substr($file, -4) !== '.php') {
        $type = mime_content_type($file) ?: 'application/octet-stream';
        header('Content-Type: ' . $type);
        header('Content-Length: ' . filesize($file));
        readfile($file);
        return true;
    }
}

$file = $root . $path;
if (is_dir($file)) {
    $file = rtrim($file, '/') . '/index.php';
}
if (is_file($file)) {
    if (substr($file, -4) !== '.php') {
        return false;  // a static file: the built-in server sends it
    }
    $script = $file;
} else {
    $script = $root . '/index.php';
}

// Run the script as if the server had called it directly.
$_SERVER['SCRIPT_FILENAME'] = $script;
$_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = substr($script, strlen($root));
chdir(dirname($script));
require $script;
