'use strict';
// mwn (npm), unmodified, against the test wiki: login, create, purge, delete,
// undelete, log events.
const { Mwn } = require( 'mwn' );
const { Steps, env, expect, unique } = require( './steps' );

( async () => {
	const s = new Steps( 'mwn' );
	const account = env( 'WIKI_BOT_USER' ).split( '@' )[ 0 ];
	const title = unique( 'Mwn client test' );
	const bot = await s.step( 'Mwn.init logs in with a bot password', async () => {
		const b = await Mwn.init( {
			apiUrl: env( 'WIKI_API' ),
			username: env( 'WIKI_BOT_USER' ),
			password: env( 'WIKI_BOT_PASS' ),
			userAgent: 'wikid-clients-test/0 (mwn)',
			defaultParams: { assert: 'user' },
			silent: true,
			maxRetries: 1
		} );
		expect( b.loggedIn === true || b.state, 'not logged in' );
		return b;
	} );
	if ( !bot ) {
		return s.done();
	}

	await s.step( 'userinfo names the account', async () => {
		const u = await bot.userinfo( { uiprop: 'rights' } );
		expect( u.name === account, u );
		expect( u.rights.includes( 'delete' ), 'no delete right' );
	} );

	await s.step( 'create a page', async () => {
		const r = await bot.create( title, 'Made by mwn.', 'mwn create' );
		expect( r.result === 'Success' && r.new === true, r );
	} );

	await s.step( 'create again is articleexists', async () => {
		try {
			await bot.create( title, 'again', 'mwn create' );
		} catch ( e ) {
			return expect( e.code === 'articleexists', e.code );
		}
		throw new Error( 'no error' );
	} );

	await s.step( 'read the page (slots.main.content)', async () => {
		const p = await bot.read( title );
		expect( p.revisions[ 0 ].content === 'Made by mwn.', p );
	} );

	await s.step( 'edit with a transform (basetimestamp, starttimestamp)', async () => {
		const r = await bot.edit( title, ( rev ) => ( {
			text: rev.content + '\nEdited by mwn.', summary: 'mwn edit', minor: true
		} ) );
		expect( r.result === 'Success' && r.newrevid > r.oldrevid, r );
		expect( ( await bot.read( title ) ).revisions[ 0 ].content === 'Made by mwn.\nEdited by mwn.', 'text' );
	} );

	await s.step( 'continued query over allrevisions and recentchanges', async () => {
		const revs = [];
		for await ( const r of bot.continuedQueryGen( {
			action: 'query', list: 'allrevisions', arvlimit: 1, arvprop: 'ids|timestamp', arvdir: 'older'
		}, 3 ) ) {
			revs.push( ...r.query.allrevisions );
		}
		expect( revs.length === 3, revs );
		const rc = await bot.query( { list: 'recentchanges', rctitle: title, rcprop: 'title|user|ids' } );
		expect( rc.query.recentchanges.length === 2 &&
			rc.query.recentchanges.every( ( c ) => c.user === account ), rc );
	} );

	await s.step( 'a long text goes multipart', async () => {
		const long = 'x'.repeat( 9000 );
		const r = await bot.save( title + ' long', long, 'mwn multipart' );
		expect( r.result === 'Success', r );
		expect( ( await bot.read( title + ' long' ) ).revisions[ 0 ].content === long, 'text' );
	} );

	await s.step( 'purge', async () => {
		const r = await bot.purge( [ title ] );
		expect( Array.isArray( r ) && r[ 0 ].purged === true, r );
	} );

	await s.step( 'delete', async () => {
		const r = await bot.delete( title, 'mwn delete' );
		expect( r.title === title && r.reason === 'mwn delete' && r.logid > 0, r );
		const p = await bot.read( title );
		expect( p.missing === true, p );
	} );

	await s.step( 'delete again is missingtitle', async () => {
		try {
			await bot.delete( title, 'again' );
		} catch ( e ) {
			return expect( e.code === 'missingtitle', e.code );
		}
		throw new Error( 'no error' );
	} );

	await s.step( 'undelete', async () => {
		const r = await bot.undelete( title, 'mwn undelete' );
		expect( r.title === title && r.revisions === 2, r );
		const p = await bot.read( title );
		expect( !p.missing && p.revisions[ 0 ].content === 'Made by mwn.\nEdited by mwn.', p );
	} );

	await s.step( 'log events of the page', async () => {
		const logs = await new bot.Page( title ).logs( null, null, 'delete' );
		expect( logs.length === 2, logs );
		expect( logs[ 0 ].action === 'restore' && logs[ 1 ].action === 'delete', logs );
		expect( logs.every( ( l ) => l.user === account && l.title === title ), logs );
		expect( logs[ 1 ].comment === 'mwn delete', logs );
	} );

	await s.step( 'logout', async () => {
		await bot.logout();
		expect( bot.loggedIn === false, 'still logged in' );
		const r = await bot.query( { meta: 'userinfo', assert: undefined } );
		expect( r.query.userinfo.anon === true, r );
	} );
	s.done();
} )();
