<?php
/*
 * Installs WordPress for a test run and creates an application password, from the
 * command line (no HTTP):
 *
 *   HEMICYCLE_WP_CONFIG=NAME HEMICYCLE_WP_URL=http://127.0.0.1:PORT/ \
 *   HEMICYCLE_WP_USER=admin HEMICYCLE_WP_PASSWORD=... HEMICYCLE_WP_EMAIL=... \
 *       php scripts/wordpress/install.php
 *
 * NAME selects /etc/wordpress/config-NAME.php (see router.php). Prints one line of
 * JSON: {"user_id": ..., "username": ..., "app_password": ..., "version": ...}.
 */

if (PHP_SAPI !== 'cli') {
    exit(1);
}

function env_or_die($name) {
    $value = getenv($name);
    if ($value === false || $value === '') {
        fwrite(STDERR, "install.php: $name is not set\n");
        exit(2);
    }
    return $value;
}

$config = env_or_die('HEMICYCLE_WP_CONFIG');
$url = env_or_die('HEMICYCLE_WP_URL');
$username = env_or_die('HEMICYCLE_WP_USER');
$password = env_or_die('HEMICYCLE_WP_PASSWORD');
$email = env_or_die('HEMICYCLE_WP_EMAIL');
$title = getenv('HEMICYCLE_WP_TITLE') ?: 'Hémicycle tests';

// What WordPress expects of a web request.
$parts = parse_url($url);
$host = $parts['host'] . (isset($parts['port']) ? ':' . $parts['port'] : '');
$_SERVER['WORDPRESS_CONFIG'] = $config;
$_SERVER['HTTP_HOST'] = $host;
$_SERVER['SERVER_NAME'] = $parts['host'];
$_SERVER['SERVER_PORT'] = $parts['port'] ?? 80;
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';

define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';

// No e-mail to the new administrator (pluggable: defined before upgrade.php).
function wp_new_blog_notification($blog_title, $blog_url, $user_id, $password) {
}

require_once ABSPATH . 'wp-admin/includes/upgrade.php';

// No HTTP during the install: it would probe pretty permalinks against the site.
add_filter('pre_http_request', function () {
    return new WP_Error('http_request_blocked', 'No HTTP while installing the test site.');
});

$result = wp_install($title, $username, $email, false, '', wp_slash($password));
if (is_wp_error($result)) {
    fwrite(STDERR, 'install.php: ' . $result->get_error_message() . "\n");
    exit(1);
}

// Plain permalinks: the REST API lives at /?rest_route=/wp/v2/...
update_option('permalink_structure', '');
update_option('blogdescription', '');

$user_id = $result['user_id'];
$created = WP_Application_Passwords::create_new_application_password(
    $user_id, array('name' => 'hemicycle-tests')
);
if (is_wp_error($created)) {
    fwrite(STDERR, 'install.php: ' . $created->get_error_message() . "\n");
    exit(1);
}

echo json_encode(array(
    'user_id' => $user_id,
    'username' => $username,
    'app_password' => $created[0],
    'version' => $GLOBALS['wp_version'],
)), "\n";
