'use strict';
// wikid's own spec: meta=userinfo for the accounts api-testing makes.
const { action, assert } = require( 'api-testing' );

describe( 'wikid, userinfo through api-testing', function () {
	it( 'knows an anonymous client', async function () {
		const anon = action.getAnon();
		const u = await anon.meta( 'userinfo', {} );
		assert.equal( u.id, 0 );
		assert.property( u, 'anon' );
	} );

	it( 'names a new account and its implicit groups', async function () {
		const alice = await action.alice();
		const u = await alice.meta( 'userinfo', { uiprop: 'groups|rights|editcount' } );
		assert.equal( u.name, alice.username );
		assert.include( u.groups, 'user' );
		assert.notInclude( u.groups, 'sysop' );
		assert.notInclude( u.rights, 'delete' );
	} );

	it( 'shows the sysop group given with userrights', async function () {
		const mindy = await action.mindy();
		const u = await mindy.meta( 'userinfo', { uiprop: 'groups|rights' } );
		assert.include( u.groups, 'sysop' );
		assert.include( u.rights, 'delete' );
		assert.include( u.rights, 'undelete' );
	} );
} );
