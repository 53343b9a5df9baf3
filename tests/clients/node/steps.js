'use strict';
// A tiny step harness shared by the Node client suites: `  ok   NAME` or
// `  FAIL NAME: why`, then `SUITE: N passed, M failed`.
class Steps {
	constructor( suite ) {
		this.suite = suite;
		this.passed = 0;
		this.failed = 0;
	}

	async step( name, fn ) {
		try {
			const r = await fn();
			if ( r === false ) {
				throw new Error( 'check failed' );
			}
			this.passed++;
			console.log( `  ok   ${ name }` );
			return r;
		} catch ( e ) {
			this.failed++;
			console.log( `  FAIL ${ name }: ${ e && e.stack && process.env.CLIENTS_VERBOSE ? e.stack : e }` );
			return undefined;
		}
	}

	done() {
		console.log( `${ this.suite }: ${ this.passed } passed, ${ this.failed } failed` );
		process.exit( this.failed ? 1 : 0 );
	}
}

function env( name ) {
	const v = process.env[ name ];
	if ( !v ) {
		console.error( `${ name } is not set (run tests/clients/run.sh)` );
		process.exit( 2 );
	}
	return v;
}

function expect( cond, what ) {
	if ( !cond ) {
		throw new Error( typeof what === 'string' ? what : JSON.stringify( what ) );
	}
	return true;
}

const unique = ( prefix ) => `${ prefix } ${ Date.now() }`;

module.exports = { Steps, env, expect, unique };
