'use strict';
// wikid's own spec, written for the api-testing library: delete and undelete
// by a sysop the library creates over the API (createaccount + userrights).
const { action, assert, utils } = require( 'api-testing' );

describe( 'wikid, delete and undelete through api-testing', function () {
	const title = utils.title( 'ApiTestingDelete ' );
	let alice, mindy;

	before( async function () {
		alice = await action.alice();
		mindy = await action.mindy();
		await alice.edit( title, { text: 'Text by Alice ' + title, createonly: true } );
	} );

	it( 'refuses a plain user with permissiondenied', async function () {
		const err = await alice.actionError( 'delete', {
			title, token: await alice.token( 'csrf' )
		}, 'POST' );
		assert.equal( err.code, 'permissiondenied' );
	} );

	it( 'lets a sysop delete the page', async function () {
		const r = await mindy.action( 'delete', {
			title, reason: 'api-testing delete', token: await mindy.token( 'csrf' )
		}, 'POST' );
		assert.sameTitle( r.delete.title, title );
		assert.equal( r.delete.reason, 'api-testing delete' );
		assert.isAbove( r.delete.logid, 0 );
		const info = await alice.prop( 'info', title );
		assert.property( info[ title ], 'missing' );
	} );

	it( 'answers missingtitle for the deleted page', async function () {
		const err = await mindy.actionError( 'delete', {
			title, token: await mindy.token( 'csrf' )
		}, 'POST' );
		assert.equal( err.code, 'missingtitle' );
	} );

	it( 'logs the deletion under the sysop', async function () {
		const e = await alice.getLogEntry( { letype: 'delete', letitle: title } );
		assert.equal( e.action, 'delete' );
		assert.equal( e.user, mindy.username );
		assert.equal( e.comment, 'api-testing delete' );
	} );

	it( 'lets the sysop undelete it with its text', async function () {
		const r = await mindy.action( 'undelete', {
			title, reason: 'api-testing undelete', token: await mindy.token( 'csrf' )
		}, 'POST' );
		assert.sameTitle( r.undelete.title, title );
		assert.equal( r.undelete.revisions, 1 );
		const rev = await alice.getRevision( title );
		assert.equal( rev.slots.main[ '*' ], 'Text by Alice ' + title );
	} );

	it( 'logs the restore', async function () {
		const e = await alice.getLogEntry( { letype: 'delete', letitle: title } );
		assert.equal( e.action, 'restore' );
		assert.equal( e.user, mindy.username );
	} );
} );
