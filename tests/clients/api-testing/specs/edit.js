'use strict';
// wikid's own spec: edits through api-testing's helpers.
const { action, assert, utils } = require( 'api-testing' );

describe( 'wikid, edit through api-testing', function () {
	const title = utils.title( 'ApiTestingEdit ' );
	let alice;

	before( async function () {
		alice = await action.alice();
	} );

	it( 'creates a page', async function () {
		const r = await alice.edit( title, { text: 'one', createonly: true } );
		assert.equal( r.new, '' );
		assert.isAbove( r.newrevid, 0 );
		assert.equal( r.oldrevid, 0 );
	} );

	it( 'reports nochange for the same text', async function () {
		const r = await alice.edit( title, { text: 'one' } );
		assert.property( r, 'nochange' );
	} );

	it( 'appends text and keeps history', async function () {
		const r = await alice.edit( title, { appendtext: ' two' } );
		const rev = await alice.getRevision( title );
		assert.equal( rev.revid, r.newrevid );
		assert.equal( rev.slots.main[ '*' ], 'one two' );
		assert.equal( rev.user, alice.username );
	} );

	it( 'refuses createonly on an existing page', async function () {
		const err = await alice.actionError( 'edit', {
			title, text: 'x', createonly: true, token: await alice.token( 'csrf' )
		}, 'POST' );
		assert.equal( err.code, 'articleexists' );
	} );

	it( 'refuses nocreate on a missing page', async function () {
		const err = await alice.actionError( 'edit', {
			title: utils.title( 'ApiTestingMissing ' ), text: 'x', nocreate: true,
			token: await alice.token( 'csrf' )
		}, 'POST' );
		assert.equal( err.code, 'missingtitle' );
	} );

	it( 'shows the edit in recent changes', async function () {
		const rc = await alice.getChangeEntry( { rctitle: title } );
		assert.equal( rc.user, alice.username );
		assert.equal( rc.type, 'edit' );
	} );
} );
